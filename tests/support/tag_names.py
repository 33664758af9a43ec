"""Real names and titles for the tag-text repairs (``recsys.catalog.tagtext``): accented Latin
names that must stay as they are, and names of each script whose code-page bytes, stored in a
Latin-1 frame, must read back as the name.

The East Asian lists hold those a single value decides. Others are left out because no rule on
one value can tell them: KS X 1001's Hangul bytes are all GB2312 first-level ideographs too, so
a Korean name read alone is Korean only where its syllables are Korean's (about half of
them: "빅뱅" reads as "候桂"; with a file's other names, nine in ten); a Chinese name whose GBK bytes are also an all-capitals Cyrillic
word ("信乐团" as "РЕАЦНЕ") stays Cyrillic; a Big5 name that is also all first-level GB2312
("精選集") is taken as GBK; a Big5 name with a second-level character ("李翊君") is left as it
is.

The single-byte lists (Arabic, Persian, Hebrew, Greek, Thai) leave out, likewise, the names one
value cannot tell (``recsys.catalog.codepages``): Arabic of two letters ("حب"), Arabic whose bytes
are all-capital or lower-case Cyrillic words without Cyrillic's З ("عشق" as "ЪФЮ", "ليلى" as
"бнбм") or all first-level GBK ("سلام", "دمشق"), Greek whose capitals or words read as Cyrillic
with as many vowels ("ΤΡΥΠΕΣ", "Τρύπες", "Πυξ Λαξ"), and short Thai names whose bytes are
first-level GBK ("ทะเล", "สบายดี"), which stay as the Cyrillic or Chinese they read as."""

#: Latin-1 names and words of French, German, Spanish, Portuguese, Icelandic, Nordic, Finnish,
#: Turkish and Polish, and names with ®, ©, °, ½, « »: ``repaired`` leaves every one as it is
ACCENTED_LATIN = tuple("""
Motörhead|Björk|Café|ÉTÉ|Ça va|Sigur Rós|Ágætis byrjun|Mötley Crüe|Die Ärzte|Sinéad O'Connor|
Beyoncé|Noël|Zoë|Chloé|Renée Fleming|Hélène Grimaud|Édith Piaf|Françoise Hardy|Jacques Brel|
Gérard Depardieu|Léo Ferré|Céline Dion|Mylène Farmer|Véronique Sanson|Michel Sardou|
Francis Cabrel|Indochine|Noir Désir|Téléphone|Louise Attaque|Zazie|Benjamin Biolay|Étienne Daho|
Jean-Jacques Goldman|Gilbert Bécaud|Charles Aznavour|Serge Gainsbourg|Jane Birkin|
Vanessa Paradis|Alizée|Amélie|Les Misérables|La Vie en rose|Non, je ne regrette rien|
Ne me quitte pas|L'Été indien|Déjà vu|Pièce montée|Bohème|Réveillon|Sérénade|Élégie|Prélude|
Fantaisie-Impromptu|Études|Gymnopédie No. 1|Clair de lune|Boléro|Pavane pour une infante défunte|
Symphonie fantastique|Carnaval des animaux|Le Sacre du printemps|Ménilmontant|Champs-Élysées|
Saint-Germain-des-Prés|Côte d'Azur|Château|Crème brûlée|Naïve|Noël à Paris|Éà|Ñú|Ågård|
Ärzte Übel|Über|Für Elise|Mädchen|Schön|Grün|Süß|Straße|Größe|Fräulein|Müller|Schäfer|Jürgen|
Günther|Björn|Köln|München|Düsseldorf|Nürnberg|Österreich|Zürich|Tokio Hotel|Herbert Grönemeyer|
Marius Müller-Westernhagen|Udo Lindenberg|Die Toten Hosen|Böhse Onkelz|Einstürzende Neubauten|
Fürst|Wir sind Helden|Söhne Mannheims|Xavier Naidoo|Helene Fischer|Andrea Berg|Seeed|Bläck Fööss|
Höhner|Brings|Die Prinzen|Fettes Brot|Annenmaykantereit|Tocotronic|Blümchen|Scooter|
Mozart: Eine kleine Nachtmusik|Brahms: Ungarische Tänze|Bach: Präludium|Händel|Señor|Niño|Mañana|
Corazón|Canción|Jesús|José|María|Sebastián|Ramón|Martín|Andrés|Ángel|Óscar|Íñigo|Álvaro|
Héroes del Silencio|Maná|Café Tacvba|Los Tigres del Norte|Julio Iglesias|Rocío Jurado|Raphael|
Joaquín Sabina|Joan Manuel Serrat|Estopa|Jarabe de Palo|La Oreja de Van Gogh|Amaral|Bebe|
C. Tangana|Camarón de la Isla|Paco de Lucía|Niña Pastori|Café Quijano|Soda Stereo|Gustavo Cerati|
Charly García|Fito Páez|Andrés Calamaro|Mercedes Sosa|Atahualpa Yupanqui|Violeta Parra|
Víctor Jara|Silvio Rodríguez|Pablo Milanés|Celia Cruz|Compay Segundo|Ibrahim Ferrer|
Buena Vista Social Club|Chavela Vargas|Vicente Fernández|Pedro Infante|José José|Luis Miguel|
Juan Gabriel|Selena|Gloria Estefan|Marc Anthony|Despacito|Bésame mucho|Cielito lindo|La Bamba|
Guantanamera|Ay, ay, ay|Qué será|Aquí|Está|Canción del mariachi|España|Málaga|Córdoba|Cádiz|León|
Aragón|Bogotá|Medellín|Perú|Panamá|México|Michoacán|Yucatán|João Gilberto|Antônio Carlos Jobim|
Caetano Veloso|Gilberto Gil|Chico Buarque|Elis Regina|Maria Bethânia|Gal Costa|Milton Nascimento|
Jorge Ben Jor|Tim Maia|Djavan|Marisa Monte|Seu Jorge|Os Mutantes|Legião Urbana|Titãs|
Paralamas do Sucesso|Skank|Sepultura|Ivete Sangalo|Anitta|Amália Rodrigues|Mariza|Dulce Pontes|
Madredeus|Xutos & Pontapés|Garota de Ipanema|Águas de Março|Chega de Saudade|Aquarela do Brasil|
Construção|Cálice|Você|Coração|São Paulo|Canção|Ação|Irmão|Mãe|Pão|Manhã|Não|Ilusão|Paixão|
Saudade|Lisboa|Coimbra|Açores|Fado Português|Ólafur Arnalds|Jóhann Jóhannsson|
Björk Guðmundsdóttir|Sigurrós|Múm|Hjaltalín|Ásgeir|Emilíana Torrini|Of Monsters and Men|
Hildur Guðnadóttir|Kaleo|Retro Stefson|Sóley|Þórunn|Ísland|Reykjavík|Hafnarfjörður|Akureyri|
Svefn-g-englar|Hoppípolla|Ný batterí|Starálfur|Glósóli|Sæglópur|Viðrar vel til loftárása|
Ára bátur|Íslenska|Kjartan Sveinsson|Jónsi|Mugison|Megas|Stuðmenn|Sálin hans Jóns míns|Ágúst|Þú|
Ég|Æði|Ó|Sigurður|Guðrún|Jón Þór Birgisson|Þjóðhátíð|Ólafsvík|Tómas|Dóttir|Björn Ulvaeus|
Benny Andersson|Agnetha Fältskog|Anni-Frid Lyngstad|Roxette|Ace of Base|Kent|Håkan Hellström|
Lars Winnerbäck|Ulf Lundell|Evert Taube|Cornelis Vreeswijk|Lisa Ekdahl|Robyn|Lykke Li|
José González|The Knife|Fever Ray|First Aid Kit|Veronica Maggio|Miriam Bryant|Tove Lo|
Zara Larsson|Avicii|Swedish House Mafia|Göteborg|Malmö|Västerås|Jönköping|Umeå|Örebro|Linköping|
Norrköping|Sjöberg|Åsa|Märta|Måns Zelmerlöw|Loreen|Carola Häggkvist|Sven-Ingvars|Gyllene Tider|
Magnus Uggla|Thåström|Ebba Grön|Imperiet|Kaizers Orchestra|a-ha|Sissel Kyrkjebø|
Åge Aleksandersen|Øystein Sunde|Kari Bremnes|Jan Garbarek|Ole Bull|Sigrid|Aurora|Kygo|Röyksopp|
Bjørn Eidsvåg|Ingrid Bjørnov|Tromsø|Bodø|Ålesund|Bærum|Grønland|Lørdag|Søndag|Kærlighed|Tøser|
Gasolin'|Kim Larsen|TV-2|Mø|Medina|Lukas Graham|Volbeat|Mew|Efterklang|Søren Kierkegaard|
København|Århus|Ærø|Øresund|Hääyö|Sääsket|Nightwish|Apocalyptica|HIM|Eppu Normaali|Hassisen Kone|
J. Karjalainen|Juice Leskinen|Hector|Kari Tapio|Tapio Rautavaara|Leevi and the Leavings|Yö|Ääniä|
Pälvi|Järvenpää|Hämeenlinna|Jyväskylä|Köyhä|Tämä|Sää|Kyllä|Älä|Öljy|Mustafa Sandal|Sezen Aksu|
Müslüm Gürses|Ajda Pekkan|Gökhan|Özlem|Çiçek|Gönül|Kül|Üzüm|Dönence|Sertab Erener|Ümit Besen|
Zülfü Livaneli|Çok|Ölürüm|Ünlü|Göç|Öykü|Çöl|Gül|Bülent|Ülkü|Öztürk|Szymanowski|Kraków|Bóg|Góra|
Wójcik|Król|Mój|Twój|Ósmy|Próba|Wódka|Perfect|Budka Suflera|Lady Pank|Maanam|Kult|T.Love|
Myslovitz|Marek Grechuta|Anna Maria Jopek|Kayah|Edyta Górniak|Ewa Demarczyk|Skaldowie|
Czerwone Gitary|Trubadurzy|Seweryn Krajewski|Zbigniew Preisner|Wojciech Kilar|Krzysztof Komeda|
Szpilman|Ästhetik|Übermensch|Öl|Ürün|Çà et là|À bientôt|À la claire fontaine|Où est|Là-bas|Voilà|
Très bien|Élan|Île-de-France|Ô Canada|Garçon|Façade|Leçon|Reçu|Naïveté|Ambiguïté|Hawaïi|Noëlle|
Raphaël|Maël|Anaïs|Loïc|Gaël|Zoé|Inès|Léa|Éloïse|Thaïs|Maëlle|Jérôme|Stéphane|Frédéric|Sébastien|
Rémi|Aurélien|Clément|Benoît|François|Grégoire|Théo|Mathéo|Noé|Hervé|Raphaëlle|Mélanie|Cécile|
Valérie|Sophie Marceau|Émilie Simon|Christine and the Queens|Angèle|Kendji Girac|Soprano|Orelsan|
Nekfeu|Maître Gims|Aya Nakamura|Jul|PNL|IAM|NTM|MC Solaar|Ärger|Öde|Übung|Ü|Ñandú|Ñoño|Ññ|Ça|Öö|
Ää|Fédération|RÉSUMÉ|ÉLÉGIE|CAFÉ DEL MAR|MOTÖRHEAD|BJÖRK|SIGUR RÓS|MÖTLEY CRÜE|CÉLINE DION|
ÉDITH PIAF|GÖTTERDÄMMERUNG|SÃO PAULO|AÇÃO|CORAÇÃO|NIÑO|SEÑORITA|ÅLESUND|ØRESUND|ÆBLE|ÞÚ|ÐÖ|ÇÖL|
ÜÇ|Sony®|Walkman®|Nintendo® Wii|Coca-Cola®|Pokémon®|Café® del Mar|Hits © 1999|25° C|½ Price|
¿Qué?|¡Viva!|¡Ay caramba!|«Les Fleurs»|»Mädchen«|£5 Note|¥en|Größer als 5µm|x² + y²|3×3|10÷2|±5|
¼ Inch|§ 1|¶ Pilcrow|· Interpunct ·|Mötorhead · Björk · Café|ÉTÉ 2001|Été 85|Ça plane pour moi|
Déjà Vu (Remix)|Rémy Martin|Moët & Chandon|Citroën|Häagen-Dazs|Nestlé|Lancôme|Hermès|
Dolce & Gabbana|Crème de la crème|Façonnable|Hôtel Costes|Pièces détachées|Précis|Résumé|Fiancée|
Divorcée|Protégé|Communiqué|Soirée|Entrée|Matinée|Née|Exposé|Cliché|Touché|Passé|Rosé|Sauté|
Flambé|Purée|Jalapeño|Piñata|Año Nuevo|Über alles|Götz|Jäger|Kölsch|Löwenbräu|Kräuter|Glühwein|
Frühling|Käse|Brötchen|Gemütlichkeit|Schadenfreude|Doppelgänger|Zeitgeist|Weltschmerz|
Fahrvergnügen|Fußball|Tschüß|Grüß Gott|Hölle|Hütte|Mühle|Bühne|Küche|Mütze|Tür|Würde|Übersee|
Ökonomie|Älter|Äpfel
""".replace("\n", "").split("|"))

#: Korean artists and titles, stored as CP949
KOREAN = tuple("""
소녀시대|아이유|원더걸스|카라|서태지와 아이들|이문세|유재하|이선희|넥스트|토이|자우림|노브레인|이소라|버즈|에픽하이|다이나믹 듀오|빅마마|브라운아이즈|거미|이효리|보아|
트와이스|마마무|여자친구|오마이걸|에이핑크|티아라|애프터스쿨|비스트|인피니트|샤이니|슈퍼주니어|장기하와 얼굴들|잔나비|검정치마|악동뮤지션|에일리|버스커 버스커|국카스텐|
델리스파이스|언니네 이발관|유희열|이수영|조성모|포지션|이은미|나훈아|이미자|주현미|태진아|아리랑|사랑해|그대에게|걱정말아요 그대|너의 의미|바람이 불어오는 곳|서른 즈음에|
이등병의 편지|거위의 꿈|강남스타일|다시 만난 세계|으르렁|가시나|애인 있어요|내게 오는 길|난 알아요|하여가|환상속의 그대|교실 이데아|비와 당신의 이야기|
흐린 기억 속의 그대|사랑의 미로|돌아와요 부산항에|꿈의 대화|그것만이 내 세상|기억의 습작|나비야|가을 우체국 앞에서|사랑으로|광화문 연가|소녀|가로수 그늘 아래 서면|
겨울 아이|너를 위해|미아리 고개|한국 가요|베스트|노래|발라드|트로트|드라마 주제가|피아노 연주곡|가요|바다|그리움|어머니|아버지|우리|제주도|기다림|미안해|보고싶다|
처음처럼|이지은|한효주|송혜교|김태희|이민호|수지|제니|로제|리사|슈가|제이홉|랩몬스터|지드래곤
""".replace("\n", "").split("|"))

#: Chinese (Simplified) artists and titles, stored as GBK or GB18030
CHINESE = tuple("""
周杰伦|王菲|邓丽君|张学友|刘德华|黎明|郭富城|陈奕迅|林俊杰|孙燕姿|梁静茹|王力宏|张惠妹|那英|崔健|窦唯|许巍|朴树|齐秦|罗大佑|李宗盛|周华健|刘若英|莫文蔚|范玮琪|萧亚轩|
杨坤|汪峰|李健|韩红|刀郎|黑豹|唐朝乐队|零点乐队|五月天|苏打绿|飞儿乐团|羽泉|水木年华|高晓松|郑钧|何勇|张楚|张国荣|梅艳芳|谭咏麟|李克勤|张雨生|任贤齐|伍佰|费玉清|童安格|
赵传|郑智化|张宇|游鸿明|光良|品冠|张韶涵|杨丞琳|潘玮柏|周笔畅|李宇春|张靓颖|毛不易|华晨宇|李荣浩|宋冬野|陈粒|邓紫棋|田馥甄|徐佳莹|陈绮贞|张悬|痛仰乐队|新裤子|
万能青年旅店|二手玫瑰|谢天笑|左小祖咒|腰乐队|五条人|月亮代表我的心|甜蜜蜜|小城故事|一无所有|花房姑娘|新长征路上的摇滚|青藏高原|东风破|七里香|晴天|稻香|青花瓷|简单爱|双截棍|
夜曲|发如雪|菊花台|千里之外|吻别|一千个伤心的理由|忘情水|冰雨|后来|十年|红豆|传奇|童话|老男孩|平凡之路|成都|南山南|董小姐|海阔天空|光辉岁月|真的爱你|大海|朋友|同桌的你|
睡在我上铺的兄弟|那些花儿|白桦林|蓝莲花|故乡|北京北京|春天里|存在|生如夏花|追梦赤子心|突然好想你|倔强|温柔|好久不见|富士山下|浮夸|单车|演员|丑八怪|像我这样的人|光年之外|
泡沫|江南|小酒窝|遇见|天黑黑|开始懂了|勇气|宁夏|听海|我只在乎你|但愿人长久|英雄本色|沧海一声笑|上海滩|万里长城永不倒|铁血丹心|难念的经|男儿当自强|精忠报国|大约在冬季|恋曲|
童年|鹿港小镇|爱的代价|凡人歌|漂洋过海来看你|梦醒时分|恰似你的温柔|橄榄树|外婆的澎湖湾|乡间的小路|兰花草|让我们荡起双桨|歌唱祖国|我的祖国|茉莉花|梁祝|二泉映月|春江花月夜|
高山流水|十面埋伏|流行音乐|经典老歌|华语金曲|精选集|新歌加精选|游戏音乐|沙漠之歌|狼火工作室|李白|杜甫|北京|上海|广州|深圳|长江|黄河|中国|音乐|歌曲|专辑|原声大碟|电影原声|
钢琴曲|古筝|二胡|摇滚|民谣|爵士|古典|轻音乐|儿歌|相声|评书|京剧|越剧|黄梅戏|李娜|宋祖英|彭丽媛|阎维文|董文华|毛阿敏|杭天琪|田震|孙楠|满文军|陈红|陈明|毛宁|杨钰莹|
李春波|小虎队|郭峰|蔡国庆|解晓东|屠洪刚|腾格尔|降央卓玛|凤凰传奇|庞龙|王杰|叶倩文|林忆莲|张学良|黄家驹|周慧敏|关淑怡|陈慧娴|许冠杰|甄妮|汪明荃|徐小凤|卢冠廷|黄霑|顾嘉辉|
陶喆|朱镕基|陈昇|王堃|杨赟|马頔|李䶮|周深|吴青峰|王珺|刘昊然|张碧晨|黄龄|刘惜君|萧敬腾|徐良|汪苏泷|许嵩|胡彦斌|张杰|谭晶|韩磊|庾澄庆|邰正宵|臧天朔|郁可唯|尚雯婕|阿杜|
阿桑|曲婉婷|金玟岐|霍尊|赵薇|徐怀钰|郑秀文|周杰伦𠀀|迈克尔·杰克逊|《七里香》|“晴天”|第一张专辑
""".replace("\n", "").split("|"))

#: Chinese (Traditional) artists and titles, stored as Big5
TRADITIONAL = tuple("""
周杰倫|五月天|張學友|鄧麗君|王菲|羅大佑|陳奕迅|蔡依林|伍佰|張惠妹|劉德華|黎明|郭富城|林俊傑|孫燕姿|梁靜茹|王力宏|李宗盛|周華健|張信哲|劉若英|莫文蔚|蕭亞軒|蘇打綠|信樂團|
張國榮|梅艷芳|李克勤|張雨生|任賢齊|費玉清|蔡琴|童安格|鄭智化|張宇|光良|張韶涵|楊丞琳|田馥甄|陳綺貞|月亮代表我的心|甜蜜蜜|小城故事|東風破|七里香|晴天|稻香|青花瓷|夜曲|
吻別|忘情水|後來|十年|紅豆|傳奇|海闊天空|光輝歲月|真的愛你|大海|朋友|愛的代價|恰似你的溫柔|橄欖樹|鹿港小鎮|童年|倔強|溫柔|好久不見|富士山下|浮誇|單車|天黑黑|開始懂了|
勇氣|寧夏|聽海|我只在乎你|但願人長久|滄海一聲笑|上海灘|萬里長城永不倒|鐵血丹心|難念的經|男兒當自強|精忠報國|大約在冬季|凡人歌|漂洋過海來看你|夢醒時分|流行音樂|經典老歌|
華語金曲|國語|粵語|黃家駒|周慧敏|林憶蓮|葉倩文|許冠傑|陳慧嫻|關淑怡|張清芳|江蕙|鳳飛飛|潘越雲|王傑|姜育恆|林志炫|優客李林|無印良品|動力火車|黃品源|陳昇|張震嶽|楊乃文|
陳珊妮|蘇慧倫|孟庭葦|范曉萱|萬芳|辛曉琪|許茹芸|梁詠琪|鄭秀文|容祖兒|謝霆鋒|古巨基|草蜢|太極樂隊|達明一派|黑豹樂隊|台灣民謠|電影原聲帶|鋼琴演奏|古典音樂|輕音樂|兒歌|搖滾|
爵士|電視劇主題曲|紀念|新曲加精選|演唱會|現場|原聲|經典|懷念老歌|閩南語|客家歌謠|台北|香港|新竹|台中|台南|李玟|周深|吳青峰|蕭敬騰|張杰|庾澄慶|郁可唯|阿杜|阿桑|曲婉婷|
霍尊|《七里香》|「晴天」|第一張專輯|麥克‧傑克森|張懸|盧廣仲|韋禮安|林宥嘉|楊宗緯|魏如萱|謝和弦|方大同|王若琳|李聖傑|蕭煌奇|那英
""".replace("\n", "").split("|"))

#: Japanese artists and titles, stored as Shift-JIS
JAPANESE = tuple("""
雪のテーマ|ウルフファイア|ルガル サウンドトラック|ゲーム音楽|坂本龍一|細野晴臣|東京|宇多田ヒカル|浜崎あゆみ|椎名林檎|中島みゆき|松任谷由実|山下達郎|竹内まりや|美空ひばり|久石譲|
菅野よう子|植松伸夫|すぎやまこういち|スピッツ|ミスターチルドレン|サザンオールスターズ|安全地帯|中森明菜|松田聖子|千と千尋の神隠し|となりのトトロ|君をのせて|さくら|ありがとう|
夜空ノムコウ|世界に一つだけの花|上を向いて歩こう|川の流れのように|残酷な天使のテーゼ|東京事変|大貫妙子|矢野顕子|小室哲哉|坂本九|吉田拓郎|井上陽水|長渕剛|尾崎豊|布袋寅泰|氷室京介|
岡村靖幸|山口百恵|沢田研二|荒井由実
""".replace("\n", "").split("|"))

#: Russian, Ukrainian, Belarusian, Bulgarian and Serbian names, stored as Windows-1251
CYRILLIC = tuple("""
Кино|Группа крови|ДДТ|Аквариум|Алиса|Наутилус Помпилиус|Ария|Сплин|Мумий Тролль|Машина времени|
Чайф|Агата Кристи|Король и Шут|Земфира|Ленинград|Звери|Любэ|Руки вверх|Иванушки|Виктор Цой|
Борис Гребенщиков|Юрий Шевчук|Владимир Высоцкий|Алла Пугачёва|Филипп Киркоров|Кипелов|Пикник|
Крематорий|Зоопарк|Гражданская оборона|Егор Летов|Янка Дягилева|Ночные снайперы|
Смысловые галлюцинации|Океан Ельзи|Бумбокс|Скрябін|ВІА Гра|Вопли Відоплясова|Кузьма|Тіна Кароль|
Руслана|Джамала|ДахаБраха|Ляпис Трубецкой|Песняры|Звезда по имени Солнце|Восьмиклассница|
Спокойная ночь|Пачка сигарет|Кукушка|Перемен|Последний герой|Что такое осень|Родина|Осень|Ветер|
Я свободен|Беспечный ангел|Прогулки по воде|Я хочу быть с тобой|Катюша|Калинка|
Подмосковные вечера|Очи чёрные|Миллион алых роз|Арлекино|Ты супер|Лесник|Кукла колдуна|
Выхода нет|Романс|Мой рок-н-ролл|Районы-кварталы|КИНО|АРИЯ|ЧАЙФ|АЛИСА|ЛЮБЭ|ПИКНИК|ЗВЕРИ|СПЛИН|
АКВАРИУМ|НАУТИЛУС|ГРУППА КРОВИ|Лили Иванова|Сигнал|Щурците|Бијело дугме|Рибља чорба|
Здравко Чолић|Азра|Ёлка|Жанна Агузарова|Валерий Меладзе|Лолита|Серебро|Тату|Градусы|Баста|Каста|
Сплин · Би-2|Кино ©|Алиса ®|Жара 40°|Мумий Тролль §1|Верка Сердючка|Океан Ельзі|Брати Гадюкіни|
Плач Єремії|Мандри|Танок на майдані Конго|Друга ріка|Антитіла|Один в каное|Жадан і Собаки|
Пісня про рушник|Червона рута|Ой у лузі червона калина|Їхали козаки|Ніч яка місячна|Київ|Україна|
Ґалаґан|Бєларусь|Ляпіс|Крама|Нейро Дюбель|Зьміцер Вайтюшкевіч|Мроя|Дзяцінства|Мінск|Молодость|
Юность|Хорошо|Любовь|Песня года|Лучшее|Золотые хиты|Русский рок|Шансон|Романсы|Ретро|Дискотека|
Новогодняя|Сборник|Альбом|Концерт|Живой звук|Акустика|Ремиксы|Саундтрек|Кирилл|Мария|Наталья|
Ольга|Сергей|Андрей|Дмитрий|Екатерина|Анастасия|Михаил|Александр|Елена|Татьяна|Юлия|Светлана|
Ирина|Николай|Павел|Евгений|Игорь
""".replace("\n", "").split("|"))

#: Arabic artists and titles, stored as Windows-1256
ARABIC = tuple("""
فيروز|أم كلثوم|عبد الحليم حافظ|محمد عبد الوهاب|عمرو دياب|نانسي عجرم|كاظم الساهر|مارسيل خليفة|
وردة الجزائرية|صباح|وديع الصافي|إليسا|هيفاء وهبي|راغب علامة|ماجدة الرومي|محمد عبده|أصالة نصري|
تامر حسني|شيرين|محمد منير|الشاب خالد|ديانا حداد|ملحم بركات|زياد الرحباني|نجوى كرم|سميرة سعيد|
لطيفة|جورج وسوف|وائل كفوري|حسين الجسمي|كوكب الشرق|زي الهوا|أنا لحبيبي|سألوني الناس|
نسم علينا الهوى|حبيبي يا نور العين|تملي معاك|قارئة الفنجان|انت عمري|الأطلال|يا مسافر وحدك|
الله|أغاني|الأخوين رحباني|بيروت|القاهرة|بغداد|كتاب|فيروز - زهرة المدائن|
راشد الماجد|ناظم الغزالي|صباح فخري|أنغام|عبد الله الرويشد|فضل شاكر|منير بشير|نصير شمة
""".replace("\n", "").split("|"))

#: Persian artists and titles as Windows-1256 holds them (Persian's ye and kaf as Arabic's)
PERSIAN = tuple("""
گوگوش|محمدرضا شجريان|ابي|داريوش|هايده|شهرام ناظري|كيهان كلهر|معين|حميرا|ستار|مرتضي|مهستي|
سياوش قميشي|فرهاد|محسن چاوشي|همايون شجريان|حسين عليزاده|پرويز مشكاتيان|بيژن مرتضوي|
مرغ سحر|سلطان قلبها|جان مريم|ايران|تهران|آلبوم|ترانه
""".replace("\n", "").split("|"))

#: Hebrew artists and titles, stored as Windows-1255
HEBREW = tuple("""
עומר אדם|אריק איינשטיין|שלמה ארצי|עופרה חזה|יהורם גאון|נעמי שמר|שלום חנוך|מאיר אריאל|אביב גפן|
ריטה|עידן רייכל|הדג נחש|משינה|כוורת|ירושלים של זהב|אחרי עשרים שנה|חנן בן ארי|שרית חדד|אייל גולן|
זהבה בן|ברי סחרוף|יהודית רביץ|אהוד בנאי|קרן פלס|נינט טייב|אתניקס|טיפקס|מוש בן ארי|נועה קירל|
שלום|אהבה|ירושלים|תל אביב|שיר|הכל עובר חביבי|לו יהי|ארץ ישראל|גלגל"צ|מחרוזת|להיטים|
אריק איינשטיין - אני ואתה|מתי כספי|ג'ירפות|החברים של נטאשה|התקווה
""".replace("\n", "").split("|"))

#: Greek artists and titles, stored as Windows-1253
GREEK = tuple("""
Άλκηστις Πρωτοψάλτη|Μίκης Θεοδωράκης|Μάνος Χατζιδάκις|Γιώργος Νταλάρας|Χάρις Αλεξίου|
Νίκος Παπάζογλου|Διονύσης Σαββόπουλος|Σωκράτης Μάλαμας|Ελευθερία Αρβανιτάκη|Νίκος Ξυλούρης|
Στέλιος Καζαντζίδης|Μαρινέλλα|Άννα Βίσση|Σάκης Ρουβάς|Δέσποινα Βανδή|Πέγκυ Ζήνα|Γιάννης Πάριος|
Βασίλης Παπακωνσταντίνου|Θανάσης Παπακωνσταντίνου|Παύλος Σιδηρόπουλος|Νίκος Πορτοκάλογλου|
Μελίνα Μερκούρη|Ρεμπέτικα|Τα παιδιά του Πειραιά|Άρνηση|Συννεφιασμένη Κυριακή|Το άξιον εστί|
Ζορμπάς|Αθήνα|Θεσσαλονίκη|Καλημέρα|Σ' αγαπώ|Αγάπη|Έρωτας|Τραγούδια|Τα καλύτερα|Ζωντανά|
ΜΙΚΗΣ ΘΕΟΔΩΡΑΚΗΣ|ΧΑΡΙΣ ΑΛΕΞΙΟΥ|Ξύλινα Σπαθιά|Μόνο μια φορά|Ένα|Ήλιος
""".replace("\n", "").split("|"))

#: Thai artists and titles, stored as Windows-874 (TIS-620)
THAI = tuple("""
คาราบาว|เบิร์ด ธงไชย|ธงไชย แมคอินไตย์|พงษ์สิทธิ์ คำภีร์|บอดี้สแลม|ลาบานูน|โปเตโต้|
ก้อง ห้วยไร่|ต่าย อรทัย|ไมค์ ภิรมย์พร|สุนารี ราชสีมา|พุ่มพวง ดวงจันทร์|ลูกทุ่ง|
เพลงรัก|รักเธอ|ขอบคุณ|คิดถึง|ความรัก|กรุงเทพ|อัสนี วสันต์|
ซิลลี่ ฟูลส์|บิ๊กแอส|อินคา|เสก โลโซ|ทาทา ยัง|ลำไย ไหทองคำ
""".replace("\n", "").split("|"))

#: Latin-1 names that the code pages above read otherwise: Italian (ì ò ù è), Danish,
#: Norwegian and Faroese (ø, æ, å), Icelandic (ð, þ, ý), Turkish and Polish written in UTF-8,
#: Spanish and Catalan (ï, ò, ç): ``repaired`` leaves every one as it is
LATIN_BESIDE_CODE_PAGES = tuple("""
Così fan tutte|Più bella cosa|Perché|Lucio Dalla - Caruso|Città|Sì|Lì|Giù|Virtù|Però|Però non è|
Fabrizio De André|Mina - Città vuota|Franco Battiato - Cuccurucucù|Claudio Baglioni|Pierangelo Bertoli|
Mogol|Vasco Rossi - Vita spericolata|Eivør Pálsdóttir|Eivør|Teitur|Týr|Hamferð|Sigurður|
Guðmundur|Hafnarfjörður|Þýskaland|Þórður|Ýmir|Sýn|Mýrdalsjökull|Eyþór Ingi|Sólstafir|Hjálmar|
Bjørn|Søren|Søen|Bøe|Trøndelag|Kjøbenhavn|Blåbærsyltetøy|Ærø|Øresund|Ørsted|Dødheimsgard|
Tromsø|Jørgen|Brødrene|Ørjan|Mørkøv|Barış Manço|Şımarık|İstanbul|Ağlama|Gülşen|Kıraç|Łódź|
Dvořák|Żywiec|Ñoño|Niña|L'Òstia|Lluís Llach|Raimon|Maria del Mar Bonet|Sílvia Pérez Cruz|
Joan Manuel Serrat - Mediterràneo|Marià|Pàtria|Lleó|Naïf|Heroïna|Veïns|Cançó|Ça|Eña|Müller|
Ædelsten|Væ|Ðakovo|Þ|Ð|ý|þú|ðú|Ålandsøerne|Åsa Jinder|Sønderjylland|Næstved|Sjællænder|
Gaspard de la nuit: Ondine|Éric Serra|Zazie - Je suis un homme|Isabelle Adjani|Pierre Bachelet|
Mama Béa|Cesária Évora|Carlos Núñez|Kepa Junkera|Mikel Laboa|Ruper Ordorika|Fermín Muguruza
""".replace("\n", "").split("|"))
